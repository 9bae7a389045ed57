import { pinMatches, hashPin } from '../src/main/core/safety/pin-hash';
import { timeIt } from './measure';

/** What one PIN guess costs (the goal: at least 100 ms, so guessing offline is slow too). */
export async function benchPinGuess(): Promise<string[]> {
  const salt = '5a'.repeat(16);
  const stored = hashPin('7392', salt);
  const rounds = 5;
  const s = await timeIt(async () => {
    for (let i = 0; i < rounds; i++) pinMatches(String(1000 + i), salt, stored);
  });
  const ms = (s * 1000) / rounds;
  return [`pin guess: ${ms.toFixed(0)} ms per guess (goal >= 100 ms)`];
}
