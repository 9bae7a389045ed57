import type { ApiHandlers, OperationName } from '../../../shared/api';

/** One area's part of the handler table (ARCHITECTURE.md: `api/` holds one module per seed area). */
export type AreaHandlers<K extends OperationName> = Pick<ApiHandlers, K>;
