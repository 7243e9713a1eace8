export interface ProfileRow {
  id: string;
  name: string;
  permissions: string[];
  external: boolean;
  createdAt: Date;
  updatedAt: Date;
}

export const PROFILE_COLUMNS = 'p.id, p.name, p.permissions, p.external, p.created_at AS "createdAt", p.updated_at AS "updatedAt"';
