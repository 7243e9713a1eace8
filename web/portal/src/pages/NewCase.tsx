import { FormEvent, useState } from 'react';
import { useMutation } from '@apollo/client/react';
import { CREATE_CASE, CASES } from '../operations';
import { navigate } from '../router';
import { SEVERITIES, errorText } from '../format';
import { useFocusHeading } from '../App';

export function NewCasePage() {
  const heading = useFocusHeading<HTMLHeadingElement>('new');
  const [create, { loading }] = useMutation(CREATE_CASE, { refetchQueries: [CASES] });
  const [error, setError] = useState<string | null>(null);
  async function submit(e: FormEvent<HTMLFormElement>) {
    e.preventDefault();
    const form = new FormData(e.currentTarget);
    const title = String(form.get('title')).trim();
    setError(null);
    if (!title) return setError('A title is needed.');
    try {
      const { data } = await create({ variables: { input: { title, description: String(form.get('description')), severity: Number(form.get('severity')) } } });
      navigate({ name: 'case', id: data!.createCase.id });
    } catch (err) {
      setError(errorText(err));
    }
  }
  return (
    <section className="narrow">
      <h1 ref={heading} tabIndex={-1}>
        Report a new case
      </h1>
      <form onSubmit={submit}>
        <label htmlFor="title">Title</label>
        <input id="title" name="title" required aria-invalid={!!error} aria-describedby={error ? 'new-error' : undefined} />
        <label htmlFor="description">Description</label>
        <textarea id="description" name="description" rows={6} />
        <label htmlFor="severity">Severity</label>
        <select id="severity" name="severity" defaultValue="2">
          {Object.entries(SEVERITIES).map(([v, label]) => (
            <option key={v} value={v}>
              {label}
            </option>
          ))}
        </select>
        {error && (
          <p id="new-error" role="alert" className="error">
            {error}
          </p>
        )}
        <div className="actions">
          <button type="submit" disabled={loading}>
            Report the case
          </button>
          <button type="button" className="secondary" onClick={() => navigate({ name: 'cases' })}>
            Cancel
          </button>
        </div>
      </form>
    </section>
  );
}
