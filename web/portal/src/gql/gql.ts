/* eslint-disable */
import * as types from './graphql';
import type { TypedDocumentNode as DocumentNode } from '@graphql-typed-document-node/core';

/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  query Me { me { id login name permissions maxUploadBytes observableDataTypes } }\n": typeof types.MeDocument,
    "\n  mutation Login($login: String!, $password: String!) { login(login: $login, password: $password) { token } }\n": typeof types.LoginDocument,
    "\n  mutation Logout { logout }\n": typeof types.LogoutDocument,
    "\n  mutation AcceptInvitation($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { token } }\n": typeof types.AcceptInvitationDocument,
    "\n  query Cases { cases { id number title status severity createdAt updatedAt } }\n": typeof types.CasesDocument,
    "\n  query Case($id: ID!) {\n    case(id: $id) {\n      id number title description status severity createdAt updatedAt\n      comments { id message author createdAt }\n      attachments { id name size contentType createdAt }\n      observables { id dataType data message createdAt }\n    }\n  }\n": typeof types.CaseDocument,
    "\n  mutation CreateCase($input: PortalCreateCaseInput!) { createCase(input: $input) { id } }\n": typeof types.CreateCaseDocument,
    "\n  mutation AddComment($caseId: ID!, $message: String!) { addComment(caseId: $caseId, message: $message) { id } }\n": typeof types.AddCommentDocument,
    "\n  mutation AddAttachment($caseId: ID!, $file: Upload!) { addAttachment(caseId: $caseId, file: $file) { id } }\n": typeof types.AddAttachmentDocument,
    "\n  mutation AddObservable($caseId: ID!, $input: PortalObservableInput!) { addObservable(caseId: $caseId, input: $input) { id } }\n": typeof types.AddObservableDocument,
};
const documents: Documents = {
    "\n  query Me { me { id login name permissions maxUploadBytes observableDataTypes } }\n": types.MeDocument,
    "\n  mutation Login($login: String!, $password: String!) { login(login: $login, password: $password) { token } }\n": types.LoginDocument,
    "\n  mutation Logout { logout }\n": types.LogoutDocument,
    "\n  mutation AcceptInvitation($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { token } }\n": types.AcceptInvitationDocument,
    "\n  query Cases { cases { id number title status severity createdAt updatedAt } }\n": types.CasesDocument,
    "\n  query Case($id: ID!) {\n    case(id: $id) {\n      id number title description status severity createdAt updatedAt\n      comments { id message author createdAt }\n      attachments { id name size contentType createdAt }\n      observables { id dataType data message createdAt }\n    }\n  }\n": types.CaseDocument,
    "\n  mutation CreateCase($input: PortalCreateCaseInput!) { createCase(input: $input) { id } }\n": types.CreateCaseDocument,
    "\n  mutation AddComment($caseId: ID!, $message: String!) { addComment(caseId: $caseId, message: $message) { id } }\n": types.AddCommentDocument,
    "\n  mutation AddAttachment($caseId: ID!, $file: Upload!) { addAttachment(caseId: $caseId, file: $file) { id } }\n": types.AddAttachmentDocument,
    "\n  mutation AddObservable($caseId: ID!, $input: PortalObservableInput!) { addObservable(caseId: $caseId, input: $input) { id } }\n": types.AddObservableDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 *
 *
 * @example
 * ```ts
 * const query = graphql(`query GetUser($id: ID!) { user(id: $id) { name } }`);
 * ```
 *
 * The query argument is unknown!
 * Please regenerate the types.
 */
export function graphql(source: string): unknown;

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Me { me { id login name permissions maxUploadBytes observableDataTypes } }\n"): (typeof documents)["\n  query Me { me { id login name permissions maxUploadBytes observableDataTypes } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Login($login: String!, $password: String!) { login(login: $login, password: $password) { token } }\n"): (typeof documents)["\n  mutation Login($login: String!, $password: String!) { login(login: $login, password: $password) { token } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation Logout { logout }\n"): (typeof documents)["\n  mutation Logout { logout }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { token } }\n"): (typeof documents)["\n  mutation AcceptInvitation($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { token } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Cases { cases { id number title status severity createdAt updatedAt } }\n"): (typeof documents)["\n  query Cases { cases { id number title status severity createdAt updatedAt } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Case($id: ID!) {\n    case(id: $id) {\n      id number title description status severity createdAt updatedAt\n      comments { id message author createdAt }\n      attachments { id name size contentType createdAt }\n      observables { id dataType data message createdAt }\n    }\n  }\n"): (typeof documents)["\n  query Case($id: ID!) {\n    case(id: $id) {\n      id number title description status severity createdAt updatedAt\n      comments { id message author createdAt }\n      attachments { id name size contentType createdAt }\n      observables { id dataType data message createdAt }\n    }\n  }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateCase($input: PortalCreateCaseInput!) { createCase(input: $input) { id } }\n"): (typeof documents)["\n  mutation CreateCase($input: PortalCreateCaseInput!) { createCase(input: $input) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddComment($caseId: ID!, $message: String!) { addComment(caseId: $caseId, message: $message) { id } }\n"): (typeof documents)["\n  mutation AddComment($caseId: ID!, $message: String!) { addComment(caseId: $caseId, message: $message) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddAttachment($caseId: ID!, $file: Upload!) { addAttachment(caseId: $caseId, file: $file) { id } }\n"): (typeof documents)["\n  mutation AddAttachment($caseId: ID!, $file: Upload!) { addAttachment(caseId: $caseId, file: $file) { id } }\n"];
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AddObservable($caseId: ID!, $input: PortalObservableInput!) { addObservable(caseId: $caseId, input: $input) { id } }\n"): (typeof documents)["\n  mutation AddObservable($caseId: ID!, $input: PortalObservableInput!) { addObservable(caseId: $caseId, input: $input) { id } }\n"];

export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}

export type DocumentType<TDocumentNode extends DocumentNode<any, any>> = TDocumentNode extends DocumentNode<  infer TType,  any>  ? TType  : never;