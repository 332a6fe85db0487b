// The package ships no types: its data file is a Map of property -> (alias -> canonical value).
declare module 'unicode-match-property-value-ecmascript/data/mappings.js' {
  const mappings: Map<string, Map<string, string>>;
  export default mappings;
}
