export interface OrganisationRow {
  id: string;
  name: string;
  description: string;
  createdAt: Date;
}

export const ORGANISATION_COLUMNS = 'o.id, o.name, o.description, o.created_at AS "createdAt"';
