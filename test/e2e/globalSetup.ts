/**
 * Runs once before the browser suite: without Chromium the suite stops here, in seconds, with the install command,
 * instead of starting a workbench per file that then waits on a browser that never comes.
 */
import { missingChromium } from "./chromium";

export default function globalSetup(): void {
  const problem = missingChromium();
  if (problem !== undefined) {
    // A bare message: Jest prints it, and a stack trace would only bury the command.
    const error = new Error(problem);
    error.stack = problem;
    throw error;
  }
}
