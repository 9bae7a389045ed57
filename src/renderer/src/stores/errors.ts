/** Kept for modules that import `asError` from here; it lives with the client holder. */
export { asError } from './client';
