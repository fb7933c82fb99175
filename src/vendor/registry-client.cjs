// The registry client as one lazily loaded bundle (dist/bundle/vendor/registry-client.cjs): npm-registry-fetch
// (credentials by scope) and make-fetch-happen (its HTTP layer, used directly for capped answers). Two
// entries sharing make-fetch-happen made a shared chunk whose CommonJS interop broke; one entry has none.
module.exports = { npmFetch: require('npm-registry-fetch'), makeFetch: require('make-fetch-happen') };
