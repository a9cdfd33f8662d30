# Prepares the data of DemoPresetMeasurement (not part of the test suite): icosphere level L, the first k
# eigenvectors of L = D - A scaled by sqrt(n), and CMIP5 tas/uas/vas bilinearly regridded onto its nodes.
# Usage: /usr/bin/python3 make_demo_data.py LEVEL K NETCDF_DIR OUT_DIR   (Debian python3-scipy, python3-netcdf4)
import numpy as np, scipy.sparse as sp, scipy.sparse.linalg as sla, netCDF4, sys, time, os
from scipy.interpolate import RegularGridInterpolator
level, k, src, outdir = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
os.makedirs(outdir, exist_ok=True)
t=(1+5**0.5)/2
V=[(-1,t,0),(1,t,0),(-1,-t,0),(1,-t,0),(0,-1,t),(0,1,t),(0,-1,-t),(0,1,-t),(t,0,-1),(t,0,1),(-t,0,-1),(-t,0,1)]
F=[(0,11,5),(0,5,1),(0,1,7),(0,7,10),(0,10,11),(1,5,9),(5,11,4),(11,10,2),(10,7,6),(7,1,8),(3,9,4),(3,4,2),(3,2,6),(3,6,8),(3,8,9),(4,9,5),(2,4,11),(6,2,10),(8,6,7),(9,8,1)]
V=[np.array(v,float)/np.linalg.norm(v) for v in V]
for _ in range(level):
    cache={}; nf=[]
    def mid(a,b):
        key=(min(a,b),max(a,b))
        if key not in cache:
            m=V[a]+V[b]; V.append(m/np.linalg.norm(m)); cache[key]=len(V)-1
        return cache[key]
    for a,b,c in F:
        ab,bc,ca=mid(a,b),mid(b,c),mid(c,a)
        nf+= [(a,ab,ca),(b,bc,ab),(c,ca,bc),(ab,bc,ca)]
    F=nf
X=np.array(V); n=len(X); F=np.array(F)
E=np.concatenate([F[:,[0,1]],F[:,[1,2]],F[:,[2,0]]]); E=np.unique(np.sort(E,1),axis=0)
A=sp.coo_matrix((np.ones(len(E)),(E[:,0],E[:,1])),shape=(n,n)); A=(A+A.T).tocsr()
L=sp.diags(np.asarray(A.sum(1)).ravel())-A
t0=time.time(); w,U=sla.eigsh(L.tocsc(),k=k,sigma=-1e-3); o=np.argsort(w); w=w[o]; U=U[:,o]
print('n',n,'edges',len(E),'eigsh',time.time()-t0,'s eig[:5]',w[:5])
emb=(np.sqrt(n)*U).astype(np.float32)
lat=np.degrees(np.arcsin(X[:,2])); lon=np.degrees(np.arctan2(X[:,1],X[:,0]))%360
ys=[]
for var in ['tas','uas','vas']:
    ds=netCDF4.Dataset(os.path.join(src, f'{var}_rectilinear_grid_2D.nc'))
    la=ds['lat'][:].data; lo=ds['lon'][:].data; v=ds[var][:].data.astype(np.float64); times=ds['time'][:].data
    if la[0]>la[-1]: la=la[::-1]; v=v[:,::-1,:]
    lo2=np.concatenate([lo[-1:]-360,lo,lo[:1]+360]); v2=np.concatenate([v[:,:,-1:],v,v[:,:,:1]],2)
    la2=np.concatenate([[-90],la,[90]]); v3=np.concatenate([v2[:,:1,:],v2,v2[:,-1:,:]],1)
    out=[]
    for ti in range(v.shape[0]):
        f=RegularGridInterpolator((la2,lo2),v3[ti]); out.append(f(np.stack([lat,lon],1)))
    ys.append(np.array(out))
Y=np.stack(ys,-1).astype(np.float32)  # [T,n,3]
print('Y',Y.shape,Y.mean((0,1)),Y.std((0,1)))
np.save(os.path.join(outdir, f'emb_l{level}_k{k}.npy'),emb); np.save(os.path.join(outdir, f'y_l{level}.npy'),Y); np.save(os.path.join(outdir, f't.npy'),times)
emb.tofile(os.path.join(outdir, f'emb_l{level}_k{k}.f32')); Y.tofile(os.path.join(outdir, f'y_l{level}.f32')); times.astype(np.float64).tofile(os.path.join(outdir, 't.f64'))
np.save(os.path.join(outdir, f'latlon_l{level}.npy'),np.stack([lat,lon],1))
