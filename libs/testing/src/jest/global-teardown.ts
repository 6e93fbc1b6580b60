// Stops the DynamoDB Local the global setup started and puts process.env back as it was (so a
// later setup in the same process, e.g. in watch mode, starts a fresh one). Safe to call twice:
// the second call, or one without a setup before it, finds nothing to stop.
import './dynamodb-local-state';

export default async function globalTeardown(): Promise<void> {
  const started = globalThis.__DYNAMODB_LOCAL__;
  globalThis.__DYNAMODB_LOCAL__ = undefined;
  if (!started) return;
  for (const [name, value] of Object.entries(started.previousEnv)) {
    if (value === undefined) delete process.env[name];
    else process.env[name] = value;
  }
  await started.handle.stop();
}
