import { ApiError } from '../api/apiError';

/** One sentence for a failed call, for the page to show. */
export function errorMessage(error: unknown): string {
  if (error instanceof ApiError) {
    return error.detail !== null && error.detail !== error.title ? `${error.title} ${error.detail}` : error.title;
  }
  return error instanceof Error ? error.message : String(error);
}
