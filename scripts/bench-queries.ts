/** The reference page of performance.md (bench.ts, page-cpu.ts). */
export const PAGE_QUERY = `query Page($first: Int!) { cases(first: $first) { totalCount edges { cursor node {
  id number title severity status createdAt myPermissions
  tasks { id title status }
  observables { id dataType data }
  shares { id owner organisation { name } profile { name } } } } } }`;
