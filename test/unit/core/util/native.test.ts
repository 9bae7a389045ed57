import { describe, expect, it } from 'vitest';
import { RiggerError } from '../../../../src/shared/errors';
import { loadNative, loadSerialPort, loadUsb } from '../../../../src/main/core/util/native';

describe('the lazy native loader', () => {
  it('loads serialport and usb once, on first use', () => {
    const first = loadSerialPort();
    expect(typeof first.SerialPort.list).toBe('function');
    expect(loadSerialPort()).toBe(first);
    expect(typeof loadUsb().usb.on).toBe('function');
  });

  it('a module that cannot load is a clear error naming the feature, not a crash', () => {
    let caught: unknown;
    try {
      loadNative('rigger-no-such-native-module', 'The probe feature');
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(RiggerError);
    expect(caught).toMatchObject({
      code: 'INTERNAL',
      details: { module: 'rigger-no-such-native-module' },
    });
    expect((caught as Error).message).toMatch(/^The probe feature is unavailable/);
  });
});
