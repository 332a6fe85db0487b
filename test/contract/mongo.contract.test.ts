import { storageContract } from './storageContract.js';
import { webauthnStoresContract } from './webauthnStoresContract.js';
import { accountStoresContract } from './accountStoresContract.js';
import { attemptStoreContract } from './attemptStoreContract.js';
import { factorStoresContract } from './factorStoresContract.js';
import { signingKeysContract } from './signingKeysContract.js';
import { accessStoresContract } from './accessStoresContract.js';
import { oidcStoreContract } from './oidcStoreContract.js';
import { mongoFactory } from '../helpers/storageFactories.js';

storageContract(mongoFactory);
webauthnStoresContract(mongoFactory);
accountStoresContract(mongoFactory);
attemptStoreContract(mongoFactory);
factorStoresContract(mongoFactory);
signingKeysContract(mongoFactory);
accessStoresContract(mongoFactory);
oidcStoreContract(mongoFactory);
