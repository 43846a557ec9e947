// `npm run central:release -- <command>`: uploads and rollouts of desktop releases (release-cli.ts).
import { parseReleaseArgs, RELEASE_USAGE, runRelease } from './release-cli';

const argv = process.argv.slice(2);
if (argv.length === 0 || argv.includes('--help')) {
  console.log(RELEASE_USAGE);
} else {
  let command;
  try {
    command = parseReleaseArgs(argv);
  } catch (error) {
    console.error(`${(error as Error).message}\n\n${RELEASE_USAGE}`);
    process.exit(2);
  }
  runRelease(command).then(
    (lines) => lines.forEach((line) => console.log(line)),
    (error: unknown) => {
      console.error(`That did not work: ${(error as Error).message}`);
      process.exit(1);
    },
  );
}
