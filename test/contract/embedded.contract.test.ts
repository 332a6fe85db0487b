import { storageContract } from './storageContract.js';
import { webauthnStoresContract } from './webauthnStoresContract.js';
import { factorStoresContract } from './factorStoresContract.js';
import { embeddedFactory } from '../helpers/storageFactories.js';

storageContract(embeddedFactory);
webauthnStoresContract(embeddedFactory);
factorStoresContract(embeddedFactory);
