// Stands in, in the bundles, for a dependency the code never calls (see UNUSED_IN_BUNDLE in
// publisher-bundle.ts): loading it does nothing; calling into it throws and says why.
module.exports = new Proxy(
  {},
  {
    get(_target, name) {
      if (typeof name === 'symbol' || name === '__esModule' || name === 'then') return undefined;
      return () => {
        throw new Error(
          `${String(name)}: this dependency is left out of the bundle (lib/publisher-bundle.ts)`,
        );
      };
    },
  },
);
