/** `text` as a regular expression that matches it literally (a prompt, a command's echo). */
export function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
