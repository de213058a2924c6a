import { closeSync, mkdirSync, openSync, readFileSync, unlinkSync, writeSync } from 'node:fs';
import { join, resolve } from 'node:path';

/**
 * Embedded PGlite is one process's database: a second process on the same folder
 * would run its own copy of PostgreSQL over the same files, not see the first's
 * writes, and lose acknowledged ones. So the folder is taken with a lock file created
 * exclusively (O_EXCL) holding the owner's pid. A lock whose process is gone (a crash,
 * kill -9) is stale and taken over.
 */
export class DataDirInUse extends Error {}

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
};

/** Takes the folder or throws DataDirInUse; returns the release. */
export function lockDataDir(dataDir: string): () => void {
  mkdirSync(dataDir, { recursive: true, mode: 0o700 });
  const file = join(dataDir, 'punchcard.lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(file, 'wx', 0o600);
      writeSync(fd, String(process.pid));
      closeSync(fd);
      let released = false;
      const release = () => {
        if (released) return;
        released = true;
        process.off('exit', release);
        try {
          if (readFileSync(file, 'utf8') === String(process.pid)) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
      process.on('exit', release);
      return release;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
    const owner = Number.parseInt(readFileSync(file, 'utf8'), 10);
    if (Number.isInteger(owner) && owner !== process.pid && alive(owner)) {
      throw new DataDirInUse(
        `the data folder ${resolve(dataDir)} is in use by process ${owner}; stop that process or set PUNCHCARD_DATA_DIR to another folder (if no punchcard runs there, delete ${file})`,
      );
    }
    if (owner === process.pid)
      throw new DataDirInUse(`the data folder ${resolve(dataDir)} is already open in this process`);
    unlinkSync(file); // stale: its process is gone
  }
  throw new DataDirInUse(`could not take the lock ${file}`);
}
