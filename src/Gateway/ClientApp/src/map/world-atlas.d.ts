// world-atlas ships bare TopoJSON files; this gives the one the map imports its shape (Vite bundles the JSON).
declare module 'world-atlas/countries-110m.json' {
  import type { GeometryCollection, Topology } from 'topojson-specification';

  const countries: Topology<{ countries: GeometryCollection; land: GeometryCollection }>;
  export default countries;
}
