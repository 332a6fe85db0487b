import { storageContract } from './storageContract.js';
import { webauthnStoresContract } from './webauthnStoresContract.js';
import { factorStoresContract } from './factorStoresContract.js';
import { mongoFactory } from '../helpers/storageFactories.js';

storageContract(mongoFactory);
webauthnStoresContract(mongoFactory);
factorStoresContract(mongoFactory);
