export const placeholder = 'nn';
