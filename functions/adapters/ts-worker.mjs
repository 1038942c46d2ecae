// Runs a TypeScript worker module from source (the CLI runs under tsx, whose loader a worker thread does
// not inherit): registers tsx in this thread, then imports the module named by `workerData.entry`.
import { workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
await import(workerData.entry);
