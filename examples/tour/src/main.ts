// `npm run demo`: the tour, printed to stdout; exit code 1 with the error's name and message on failure.
import { tour } from './tour';

tour().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error instanceof Error ? `${error.name}: ${error.message}` : error);
    process.exit(1);
  },
);
