/** The reference page of performance.md (bench.ts, page-cpu.ts). */
export const PAGE_QUERY = `query Page($first: Int!) { cases(first: $first) { totalCount edges { cursor node {
  id number title severity status createdAt myPermissions
  tasks { id title status }
  observables { id dataType data }
  shares { id owner organisation { name } profile { name } } } } } }`;

/** The single-case page: one visible case with everything nested that an analyst's case view shows. */
export const CASE_QUERY = `query Case($id: ID!) { case(id: $id) {
  id number title description severity status tlp pap tags sharedExternally myPermissions createdAt updatedAt
  assignee { login } organisation { name } createdBy { login name }
  shares { id owner organisation { name } profile { name permissions } }
  tasks { id title description status createdAt assignee { login } createdBy { login } sharedWith { name } }
  observables { id dataType data message ioc tlp createdAt createdBy { login } sharedWith { name } }
  comments { id message external createdAt createdBy { login } }
  attachments { id name size contentType external createdAt }
  externalUsers { login } } }`;

/** The portal's case list: every case granted to the external user, with what the portal shows of each. */
export const PORTAL_QUERY = `{ cases { id number title description severity status createdAt updatedAt sharedExternally
  comments { id message createdAt } attachments { id name size } observables { id dataType data } } }`;
