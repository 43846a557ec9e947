import { errorMessage } from '../client/client';

/**
 * Runs `action` for a control that shows its own problem: true when it worked (the problem cleared),
 * false with the failure's message in `setProblem`.
 */
export async function attempt(
  action: () => Promise<unknown>,
  setProblem: (problem: string | null) => void,
): Promise<boolean> {
  try {
    await action();
    setProblem(null);
    return true;
  } catch (failure) {
    setProblem(errorMessage(failure));
    return false;
  }
}
