import { toErrorData, type RiggerErrorData } from '../../../shared/errors';

/** Any rejection as seed error data, for display. */
export const asError = (err: unknown): RiggerErrorData => toErrorData(err);
