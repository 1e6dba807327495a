/**
 * Kubernetes resource quantities (`500m`, `128Mi`, `1.5Gi`, `1e3`), read as the API server's
 * `resource.ParseQuantity` (k8s.io/apimachinery) reads them, into an exact fraction. The
 * client library's `quantityToScalar` is not used: it accepts what the API server refuses
 * (`1K`) and throws on what it accepts (`1.5Gi`, `1e3`). `test/apiserver-differential.test.ts`
 * holds this to kube-apiserver.
 */
export interface Quantity {
    /** The value as numerator / denominator, both positive; `negative` for the sign. */
    num: bigint;
    den: bigint;
    negative: boolean;
}
export declare function parseQuantity(written: string | number): Quantity | undefined;
/**
 * The value as the API server stores it in a pod's resources: rounded up (away from zero) to
 * a thousandth (the defaulting of every ResourceList, `RoundUp(-3)`), so `0.9999` is `1`.
 */
export declare function roundUpMilli(q: Quantity): Quantity;
/** -1, 0 or 1 as a is below, equal to or above b. */
export declare function compareQuantities(a: Quantity, b: Quantity): number;
/** Whether the API server takes the quantity as a whole number (`MilliValue() % 1000 == 0`). */
export declare function isWholeQuantity(q: Quantity): boolean;
/** The value in thousandths, rounded up (the API server's `MilliValue()`). */
export declare function quantityMilli(q: Quantity): bigint;
/** The value rounded up to a whole number (the API server's `Value()`). */
export declare function quantityValue(q: Quantity): bigint;
/** A quantity in words, for messages: `0.512 bytes`, `500000000 CPUs`. */
export declare function quantityNumber(q: Quantity): string;
