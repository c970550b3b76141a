import { useId } from 'react';
import { useTranslation } from 'react-i18next';

/** Photos from the phone's camera (or its gallery), listed with a remove button each before they are sent. */
export function PhotoPicker({ files, onChange, error }: { files: File[]; onChange(files: File[]): void; error?: string }) {
  const { t } = useTranslation();
  const id = useId();
  return (
    <div className={`pt-field${error ? ' pt-field-error' : ''}`}>
      <div className="pt-field-label" id={`${id}-label`}>
        {t('photos.label')}
      </div>
      {/* The native control's own button speaks the browser's language, not the page's: a label stands in for it. */}
      <input
        id={id}
        className="pt-file-input"
        type="file"
        accept="image/*"
        capture="environment"
        multiple
        aria-describedby={`${id}-label`}
        data-testid="photo-input"
        onChange={(e) => {
          const picked = [...(e.target.files ?? [])];
          e.target.value = '';
          onChange([...files, ...picked].slice(0, 9));
        }}
      />
      <label htmlFor={id} className="pt-button pt-button-ghost">
        {t('photos.add')}
      </label>
      <div className="pt-hint">{t('photos.hint')}</div>
      {files.length ? (
        <ul className="pt-file-list" aria-label={t('photos.chosen')}>
          {files.map((f, i) => (
            <li key={`${f.name}-${i}`} className="pt-file-chip">
              {f.name}
              <button type="button" aria-label={t('photos.remove', { name: f.name })} onClick={() => onChange(files.filter((_, j) => j !== i))}>
                ✕
              </button>
            </li>
          ))}
        </ul>
      ) : null}
      {error ? (
        <div className="pt-error-text" role="alert">
          {error}
        </div>
      ) : null}
    </div>
  );
}
