export interface UserRow {
  id: string;
  login: string;
  name: string;
  email: string | null;
  type: 'INTERNAL' | 'EXTERNAL';
  locked: boolean;
  createdAt: Date;
}

export const USER_COLUMNS = 'u.id, u.login, u.name, u.email, u.type, u.locked, u.created_at AS "createdAt"';
