import pkg from '../package.json' with { type: 'json' };

/** kubeharden's own version, as package.json states it. */
export const VERSION: string = pkg.version;
