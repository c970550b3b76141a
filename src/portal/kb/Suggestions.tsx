// Beside the new-request form: public articles matching what the customer types (debounced, the same embedded
// search); "this solved it" counts a deflection and tells the form the request need not be sent.
import { useEffect, useState } from 'react';
import { Link } from 'react-router';
import { useTranslation } from 'react-i18next';
import { Card } from '../ui.js';
import { kbClient, type KbSuggestions } from './client.js';
import { Segments } from './Segments.js';
import './kb.css';

export interface SuggestionsProps {
  /** What the customer has typed so far. */
  text: string;
  productModel?: string | null;
  onSolved?(articleId: number): void;
}

/** Waits this long after the last keystroke before asking: a search per pause, not per character. */
export const SUGGEST_DEBOUNCE_MS = 400;

export default function Suggestions({ text, onSolved }: SuggestionsProps) {
  const { t } = useTranslation();
  const [found, setFound] = useState<KbSuggestions | null>(null);
  const [solved, setSolved] = useState<number | null>(null);
  const query = text.trim();
  useEffect(() => {
    if (query.length < 2) {
      setFound(null);
      return;
    }
    const ctl = new AbortController();
    const timer = setTimeout(() => {
      kbClient.suggest(query, ctl.signal).then(setFound, () => undefined);
    }, SUGGEST_DEBOUNCE_MS);
    return () => {
      clearTimeout(timer);
      ctl.abort();
    };
  }, [query]);
  if (!found || found.items.length === 0) return null;
  const solve = async (id: number) => {
    try {
      await kbClient.deflect(id, 'suggestion', query);
    } catch {
      // Counting failed; the customer's answer still stands.
    }
    setSolved(id);
    onSolved?.(id);
  };
  return (
    <Card title={t('kb.suggestTitle')} testId="kb-suggestions">
      {found.items.map((a) => (
        <div key={a.id} className="pt-suggest-item">
          <Link to={`/kb/${a.id}`} target="_blank" rel="noopener" className="pt-list-title">
            {a.title}
          </Link>
          <div className="pt-snippet">
            <Segments segments={a.snippet} />
          </div>
          {solved === a.id ? (
            <p className="pt-small" role="status">
              {t('kb.solvedThanks')}
            </p>
          ) : (
            <button type="button" className="pt-chip" onClick={() => void solve(a.id)} data-testid="kb-suggestion-solved">
              {t('kb.solved')}
            </button>
          )}
        </div>
      ))}
    </Card>
  );
}
