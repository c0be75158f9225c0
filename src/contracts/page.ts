/** One page of a list answer: the items, how many there are in all, and which page of what size this is. */
export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}
