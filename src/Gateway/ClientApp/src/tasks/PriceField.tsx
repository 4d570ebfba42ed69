import { formatMoney } from '../format/money';
import { FieldErrorList } from '../app/FieldErrorList';
import { escrowEstimate } from './submitForm';
import type { PlatformLimits } from './taskTypes';

interface PriceFieldProps {
  fieldId: string;
  value: string;
  onChange: (value: string) => void;
  errors: readonly string[] | undefined;
  limits: PlatformLimits | null;
  /** The replicas field as typed, for the escrow estimate. */
  replicasText: string;
}

/** The price per replica, with its allowed range and what the task will hold in escrow. */
export function PriceField({ fieldId, value, onChange, errors, limits, replicasText }: PriceFieldProps) {
  const invalid = errors !== undefined && errors.length > 0;
  const hintId = `${fieldId}-hint`;
  const errorsId = `${fieldId}-errors`;
  const typedReplicas = Number(replicasText);
  const replicas = replicasText.trim() !== '' && Number.isSafeInteger(typedReplicas) && typedReplicas > 0 ? typedReplicas : (limits?.taskDefaults.replicas ?? 1);
  const estimate = limits === null ? null : escrowEstimate(value, replicas, limits.feeBps);
  return (
    <div className="field task-field-group">
      <label htmlFor={fieldId}>Price (GSTD)</label>
      <input
        id={fieldId}
        inputMode="decimal"
        value={value}
        onChange={(event) => onChange(event.target.value)}
        placeholder="0.5"
        autoComplete="off"
        required
        aria-invalid={invalid}
        aria-describedby={invalid ? `${hintId} ${errorsId}` : hintId}
      />
      <p id={hintId} className="muted">
        Paid to each replica’s worker.
        {limits !== null && (
          <>
            {' '}
            From {limits.minPrice} to {limits.maxPrice} GSTD; the platform’s fee is {(limits.feeBps / 100).toLocaleString('en')}%.
          </>
        )}
      </p>
      {estimate !== null && (
        <p>
          Escrow held: {formatMoney(estimate.escrow)} GSTD ({replicas} × price + {formatMoney(estimate.fee)} GSTD fee).
        </p>
      )}
      <FieldErrorList id={errorsId} messages={errors} />
    </div>
  );
}
