/** Test helper: takes the folder lock of DIR, prints "locked", then waits to be killed. usage: tsx hold-lock.ts DIR */
import { lockFolder } from '../../lib/io/lock';

lockFolder(process.argv[2], 'hold-lock test helper');
process.stdout.write('locked\n');
setInterval(() => {}, 1000);
