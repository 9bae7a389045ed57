import { createInterface } from 'node:readline/promises';

/** One question on the terminal (asked on stderr: stdout stays the command's answer), answer trimmed. */
export async function ask(question: string): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return (await rl.question(question)).trim();
  } finally {
    rl.close();
  }
}
