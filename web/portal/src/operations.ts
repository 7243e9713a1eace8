import { graphql } from './gql';

export const ME = graphql(`
  query Me { me { id login name permissions maxUploadBytes observableDataTypes } }
`);

export const LOGIN = graphql(`
  mutation Login($login: String!, $password: String!) { login(login: $login, password: $password) { token } }
`);

export const LOGOUT = graphql(`
  mutation Logout { logout }
`);

export const ACCEPT_INVITATION = graphql(`
  mutation AcceptInvitation($token: String!, $password: String!) { acceptInvitation(token: $token, password: $password) { token } }
`);

export const CASES = graphql(`
  query Cases { cases { id number title status severity createdAt updatedAt } }
`);

export const CASE = graphql(`
  query Case($id: ID!) {
    case(id: $id) {
      id number title description status severity createdAt updatedAt
      comments { id message author createdAt }
      attachments { id name size contentType createdAt }
      observables { id dataType data message createdAt }
    }
  }
`);

export const CREATE_CASE = graphql(`
  mutation CreateCase($input: PortalCreateCaseInput!) { createCase(input: $input) { id } }
`);

export const ADD_COMMENT = graphql(`
  mutation AddComment($caseId: ID!, $message: String!) { addComment(caseId: $caseId, message: $message) { id } }
`);

export const ADD_ATTACHMENT = graphql(`
  mutation AddAttachment($caseId: ID!, $file: Upload!) { addAttachment(caseId: $caseId, file: $file) { id } }
`);

export const ADD_OBSERVABLE = graphql(`
  mutation AddObservable($caseId: ID!, $input: PortalObservableInput!) { addObservable(caseId: $caseId, input: $input) { id } }
`);
