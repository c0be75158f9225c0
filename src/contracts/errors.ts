/** One field's problems, as a 400 answer lists them in `details`. */
export interface FieldError {
  field: string;
  messages: string[];
  value?: unknown;
}
