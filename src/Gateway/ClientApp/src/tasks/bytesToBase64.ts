// Below the engines' argument limits for String.fromCharCode(...chunk).
const CHUNK = 0x8000;

/** Standard padded base64 of bytes, as `POST /api/tasks` takes inline `input`. */
export function bytesToBase64(bytes: Uint8Array): string {
  let binary = '';
  for (let start = 0; start < bytes.length; start += CHUNK) {
    binary += String.fromCharCode(...bytes.subarray(start, start + CHUNK));
  }
  return btoa(binary);
}
