import { spawn, type ChildProcess } from 'node:child_process';

/** The app as an operator runs it (src/server.ts through tsx, as `npm start` does), in a process of its own. */
export type AppProcess = {
  baseUrl: string;
  child: ChildProcess;
  /** Everything it printed so far, stdout and stderr together. */
  output: () => string;
  exited: Promise<number | null>;
  running: () => boolean;
};

function spawnApp(env: Record<string, string>, port: number): AppProcess {
  // Node itself with tsx's loader, not the tsx command: that runs the app as a child of its own,
  // which a SIGKILL to the command leaves running after the tests.
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/server.ts'], {
    env: {
      ...process.env,
      NODE_ENV: 'test',
      SESSION_SECRET: 'test-secret-that-is-long-enough-for-the-schema',
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      PORT: String(port),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let printed = '';
  child.stdout?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (printed += chunk.toString()));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    child,
    output: () => printed,
    exited: new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code))),
    running: () => child.exitCode === null && child.signalCode === null,
  };
}

/** Starts the app and waits until it has printed the whole of what it prints on starting, which ends with how to stop it. */
export async function startAppProcess(env: Record<string, string>, port: number, readyWithinMs = 90_000): Promise<AppProcess> {
  const app = spawnApp(env, port);
  const deadline = Date.now() + readyWithinMs;
  // Its lines can arrive apart: waiting for the first alone once left the database's line unread.
  while (!app.output().includes('Press Ctrl+C to stop.')) {
    if (!app.running()) throw new Error(`The app stopped while starting:\n${app.output()}`);
    if (Date.now() > deadline) {
      app.child.kill('SIGKILL');
      throw new Error(`The app did not start in time:\n${app.output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return app;
}

/** Runs the app until it stops by itself (a refused start-up), for its exit code and what it printed. */
export async function runAppUntilItStops(env: Record<string, string>, port: number): Promise<{ code: number | null; output: string }> {
  const app = spawnApp(env, port);
  const timer = setTimeout(() => app.child.kill('SIGKILL'), 60_000);
  const code = await app.exited;
  clearTimeout(timer);
  return { code, output: app.output() };
}
