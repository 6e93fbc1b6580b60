import { WriteAdmission } from './write-admission';

describe('WriteAdmission.tryRun', () => {
  it('runs a best-effort write only while a slot is free, and never queues it', async () => {
    const sut = new WriteAdmission({ maxInflightWrites: 1, writeQueueTimeoutMs: 1000 });
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => (release = r));
    const held = sut.run(() => gate); // takes the one slot until released
    let ran = false;
    expect(sut.tryRun(async () => (ran = true))).toBeUndefined();
    release();
    await held;
    await expect(sut.tryRun(async () => 'written')).resolves.toBe('written');
    expect(ran).toBe(false);
  });
});
