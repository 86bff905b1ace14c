// One line per event, prefixed with the component, so interleaved output of several chains stays readable.
export function log(component: string, message: string): void {
  process.stdout.write(`${new Date().toISOString().slice(11, 19)} [${component}] ${message}\n`);
}

export function logError(component: string, message: string): void {
  process.stderr.write(`${new Date().toISOString().slice(11, 19)} [${component}] ${message}\n`);
}
