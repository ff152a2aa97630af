import { describe, expect, it } from 'vitest';
import { createKeyedMutex, LockWaitTimeout } from './keyed-mutex';

describe('createKeyedMutex', () => {
  it('runs tasks of one key one at a time, in order, and other keys in parallel', async () => {
    const mutex = createKeyedMutex();
    const log: string[] = [];
    const task = (name: string, ms: number) => async () => {
      log.push(`start ${name}`);
      await new Promise((r) => setTimeout(r, ms));
      log.push(`end ${name}`);
    };
    await Promise.all([mutex.run('a', task('a1', 20)), mutex.run('a', task('a2', 1)), mutex.run('b', task('b1', 1))]);
    expect(log.indexOf('end a1')).toBeLessThan(log.indexOf('start a2'));
    expect(log.indexOf('start b1')).toBeLessThan(log.indexOf('end a1'));
  });

  it('keeps going after a failed task and forgets drained keys', async () => {
    const mutex = createKeyedMutex();
    const failed = mutex.run('k', async () => {
      throw new Error('boom');
    });
    const next = mutex.run('k', async () => 'ok');
    expect(mutex.size('k')).toBe(2);
    await expect(failed).rejects.toThrow('boom');
    await expect(next).resolves.toBe('ok');
    expect(mutex.size('k')).toBe(0);
  });

  it('drops a task that waited longer than its maxWaitMs, and keeps the queue behind it going', async () => {
    const mutex = createKeyedMutex();
    let release!: () => void;
    const first = mutex.run('k', () => new Promise<string>((resolve) => (release = () => resolve('first'))));
    const impatient = mutex.run('k', async () => 'never', 20);
    const patient = mutex.run('k', async () => 'patient');
    await expect(impatient).rejects.toBeInstanceOf(LockWaitTimeout);
    expect(mutex.size('k')).toBe(2);
    release();
    await expect(first).resolves.toBe('first');
    await expect(patient).resolves.toBe('patient');
    expect(mutex.size('k')).toBe(0);
  });
});
