/** The fields an object actually carries: class-transformer leaves absent DTO fields as undefined. */
export function definedFields<T extends object>(object: T): Partial<T> {
  return Object.fromEntries(Object.entries(object).filter(([, value]) => value !== undefined)) as Partial<T>;
}
