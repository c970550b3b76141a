// Help articles for customers: search (ranked, words marked) over the published public articles.
import { useState, type FormEvent } from 'react';
import { Link, useSearchParams } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Alert, Loading, Page, useLoad } from '../ui.js';
import { kbClient } from './client.js';
import { Segments } from './Segments.js';
import './kb.css';

export default function KbSearchPage() {
  const { t } = useTranslation();
  const [params, setParams] = useSearchParams();
  const q = params.get('q')?.trim() || undefined;
  const [text, setText] = useState(q ?? '');
  const results = useLoad((signal) => kbClient.search(q, signal), [q]);
  const submit = (e: FormEvent) => {
    e.preventDefault();
    setParams(text.trim() ? { q: text.trim() } : {});
  };
  return (
    <Page title={t('kb.title')}>
      <form className="pt-search" role="search" onSubmit={submit}>
        <input type="search" value={text} onChange={(e) => setText(e.target.value)} placeholder={t('kb.searchPlaceholder')} aria-label={t('kb.searchLabel')} data-testid="kb-search" />
        <button className="pt-button" type="submit">
          {t('kb.search')}
        </button>
      </form>
      <p className="pt-small pt-muted">
        {t('kb.assistHint')} <Link to="/assist">{t('kb.assistLink')}</Link>
      </p>
      {results.error ? <Alert>{results.error.message}</Alert> : null}
      {results.loading && !results.data ? <Loading /> : null}
      {results.data ? (
        results.data.items.length === 0 ? (
          <p className="pt-muted">{q ? t('kb.noResults') : t('kb.empty')}</p>
        ) : (
          <ul className="pt-list" data-testid="kb-results">
            {results.data.items.map((a) => (
              <li key={a.id}>
                <Link to={`/kb/${a.id}`} className="pt-list-item">
                  <div className="pt-list-title">{a.title}</div>
                  <div className="pt-snippet">
                    <Segments segments={a.snippet} />
                  </div>
                </Link>
              </li>
            ))}
          </ul>
        )
      ) : null}
    </Page>
  );
}
