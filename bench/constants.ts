export const PASSWORD = 'bench password that is long enough';
export const LEVELS = [1, 8, 32, 64];
