// Identifiers are client-chosen strings; keep them to a safe, key-friendly alphabet.
export const ID_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,63}$/;
export const ID_MESSAGE = '$property must be 1-64 letters, digits, "_", ".", ":" or "-", starting with a letter or digit';
