// The operator's name (and logo), shown on every page and in page titles.
export interface Brand {
  name: string;
  logoUrl: string | null;
}

let brand: Brand = { name: 'Keyward', logoUrl: null };

export const currentBrand = (): Brand => brand;
export const setBrand = (b: Brand): void => {
  brand = b;
};
