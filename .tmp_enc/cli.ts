import { main } from '../lib/cli';
main(process.argv.slice(2)).then((c) => process.exit(c));
