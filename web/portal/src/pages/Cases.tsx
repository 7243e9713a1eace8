import { useState } from 'react';
import { useQuery } from '@apollo/client/react';
import { CASES } from '../operations';
import { href, navigate } from '../router';
import { SEVERITIES, STATUSES, when, errorText } from '../format';
import { Me, useFocusHeading } from '../App';

const PAGE = 20;

export function CasesPage({ me }: { me: Me }) {
  const heading = useFocusHeading<HTMLHeadingElement>('cases');
  const { data, error } = useQuery(CASES);
  const [page, setPage] = useState(0);
  const cases = data?.cases ?? [];
  const pages = Math.max(1, Math.ceil(cases.length / PAGE));
  const shown = cases.slice(page * PAGE, page * PAGE + PAGE);
  return (
    <section>
      <div className="title-row">
        <h1 ref={heading} tabIndex={-1}>
          My cases
        </h1>
        {me.permissions.includes('portalCreateCase') && (
          <a
            className="button"
            href={href({ name: 'new' })}
            onClick={(e) => {
              e.preventDefault();
              navigate({ name: 'new' });
            }}
          >
            Report a new case
          </a>
        )}
      </div>
      {error && (
        <p role="alert" className="error">
          {errorText(error)}
        </p>
      )}
      {!data && !error && <p aria-busy="true">Loading…</p>}
      {data && cases.length === 0 && <p>No case is shared with you yet.</p>}
      {shown.length > 0 && (
        <table className="cases">
          <caption className="sr-only">Cases shared with you, newest first</caption>
          <thead>
            <tr>
              <th scope="col">Case</th>
              <th scope="col">Status</th>
              <th scope="col">Severity</th>
              <th scope="col">Last update</th>
            </tr>
          </thead>
          <tbody>
            {shown.map((c) => (
              <tr key={c.id}>
                <td data-label="Case">
                  <a
                    href={href({ name: 'case', id: c.id })}
                    onClick={(e) => {
                      e.preventDefault();
                      navigate({ name: 'case', id: c.id });
                    }}
                  >
                    #{c.number} {c.title}
                  </a>
                </td>
                <td data-label="Status">{STATUSES[c.status] ?? c.status}</td>
                <td data-label="Severity">{SEVERITIES[c.severity] ?? c.severity}</td>
                <td data-label="Last update">
                  <time dateTime={c.updatedAt}>{when(c.updatedAt)}</time>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {pages > 1 && (
        <nav aria-label="Pages" className="pager">
          <button type="button" disabled={page === 0} onClick={() => setPage(page - 1)}>
            Previous
          </button>
          <span>
            Page {page + 1} of {pages}
          </span>
          <button type="button" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>
            Next
          </button>
        </nav>
      )}
    </section>
  );
}
