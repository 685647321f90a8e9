/** The memsim version, kept equal to the packages' version fields (checked by a test). */
export const VERSION = "0.1.0";
