// A signature drawn on screen with a finger, pen or mouse (the `signature_pad` library, pointer events), for the
// customer's sign-off on a visit and on an installation. A form control: `value` is a PNG data URL (or null when
// empty) and `onChange` fires at the end of each stroke and on clear, so it drops into an antd Form.Item.
// `signatureBlob` turns the value into the PNG file that is uploaded as an attachment.
import { useEffect, useRef } from 'react';
import { Button } from 'antd';
import { ClearOutlined } from '@ant-design/icons';
import { useTranslation } from 'react-i18next';
import SignaturePadLib from 'signature_pad';

export interface SignaturePadProps {
  /** The drawn signature as a PNG data URL, null when nothing is drawn. */
  value?: string | null;
  onChange?: (value: string | null) => void;
  /** Canvas height in CSS pixels; the width follows the container. */
  height?: number;
  disabled?: boolean;
  /** Shown inside the empty pad, e.g. "请客户在此签字". */
  placeholder?: string;
  'data-testid'?: string;
}

// Past 2× the PNG only grows (a 390 px phone at 3× would be ~1200 px wide) without a visibly better signature.
const MAX_RATIO = 2;

export function SignaturePad({ value, onChange, height = 200, disabled, placeholder, 'data-testid': testId = 'signature-pad' }: SignaturePadProps) {
  const { t } = useTranslation();
  const canvasRef = useRef<HTMLCanvasElement>(null);
  const padRef = useRef<SignaturePadLib | null>(null);
  const onChangeRef = useRef(onChange);
  onChangeRef.current = onChange;
  // The last value this pad emitted, so a value coming back from the form is not redrawn over the strokes.
  const emitted = useRef<string | null | undefined>(undefined);

  useEffect(() => {
    const canvas = canvasRef.current!;
    const pad = new SignaturePadLib(canvas, { penColor: '#1a1a1a', backgroundColor: 'rgb(255,255,255)', minWidth: 0.8, maxWidth: 2.6 });
    padRef.current = pad;
    const emit = () => {
      const next = pad.isEmpty() ? null : pad.toDataURL('image/png');
      emitted.current = next;
      onChangeRef.current?.(next);
    };
    pad.addEventListener('endStroke', emit);
    // The canvas's backing store must match its CSS size times the pixel ratio or strokes land off the finger;
    // resizing clears it, so the strokes are kept and drawn again.
    const fit = () => {
      const ratio = Math.min(Math.max(window.devicePixelRatio || 1, 1), MAX_RATIO);
      const width = canvas.offsetWidth;
      if (!width || canvas.width === Math.round(width * ratio)) return;
      const data = pad.toData();
      canvas.width = Math.round(width * ratio);
      canvas.height = Math.round(height * ratio);
      canvas.getContext('2d')!.scale(ratio, ratio);
      pad.clear();
      if (data.length) pad.fromData(data);
    };
    fit();
    const observer = typeof ResizeObserver === 'undefined' ? null : new ResizeObserver(fit);
    observer?.observe(canvas);
    return () => {
      observer?.disconnect();
      pad.removeEventListener('endStroke', emit);
      pad.off();
      padRef.current = null;
    };
  }, [height]);

  useEffect(() => {
    const pad = padRef.current;
    if (!pad) return;
    if (disabled) pad.off();
    else pad.on();
  }, [disabled]);

  // A value set from outside (form reset, a stored draft) replaces what is drawn.
  useEffect(() => {
    const pad = padRef.current;
    if (!pad || value === emitted.current) return;
    emitted.current = value ?? null;
    pad.clear();
    if (value) void pad.fromDataURL(value, { width: canvasRef.current!.offsetWidth, height });
  }, [value, height]);

  const clear = () => {
    padRef.current?.clear();
    emitted.current = null;
    onChange?.(null);
  };

  return (
    <div className="ac-signature" data-testid={testId} data-empty={value ? 'false' : 'true'}>
      <div style={{ position: 'relative' }}>
        <canvas
          ref={canvasRef}
          aria-label={placeholder ?? t('signature.canvas')}
          data-testid={`${testId}-canvas`}
          style={{
            display: 'block',
            width: '100%',
            height,
            border: '1px dashed #bfbfbf',
            borderRadius: 8,
            background: '#fff',
            // The page must not scroll or zoom while a finger draws.
            touchAction: 'none',
            cursor: disabled ? 'not-allowed' : 'crosshair',
          }}
        />
        {!value && (
          <span
            style={{
              position: 'absolute',
              inset: 0,
              display: 'flex',
              alignItems: 'center',
              justifyContent: 'center',
              color: '#bfbfbf',
              pointerEvents: 'none',
              fontSize: 16,
            }}
          >
            {placeholder ?? t('signature.placeholder')}
          </span>
        )}
      </div>
      <Button icon={<ClearOutlined />} onClick={clear} disabled={disabled || !value} style={{ marginTop: 8 }} data-testid={`${testId}-clear`}>
        {t('signature.clear')}
      </Button>
    </div>
  );
}

/** The signature's PNG as a file for upload (multipart), from the pad's data URL. */
export async function signatureBlob(dataUrl: string): Promise<Blob> {
  return (await fetch(dataUrl)).blob();
}
