export const placeholder = 'experiments';
