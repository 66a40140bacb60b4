// Placeholder until the Action lands; keeps the build's two entry points.
export {};
