// Hand-typed after MAESTRO's YRP_RS template (maestro-project/maestro data/mapping).
Network conv_YRP_RS {
  Layer ResNet18_L1_CONV3x3 {
    Type: CONV
    Stride { X: 1, Y: 1 }
    Dimensions { K: 64, C: 64, R: 3, S: 3, Y: 58, X: 58 }
    Dataflow {
      SpatialMap(1,1) Y'; TemporalMap(1,1) X'; TemporalMap(1,1) C; TemporalMap(16,16) K;
      TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
      Cluster(Sz(R), P);
      SpatialMap(1,1) Y; SpatialMap(1,1) R; TemporalMap(Sz(S),Sz(S)) S;
    }
  }
  Layer ResNet18_L3_0_CONV1_3x3s2 {
    Type: CONV
    Stride { X: 2, Y: 2 }
    Dimensions { K: 256, C: 128, R: 3, S: 3, Y: 30, X: 30 }
    Dataflow {
      SpatialMap(1,1) Y'; TemporalMap(1,1) X'; TemporalMap(1,1) C; TemporalMap(16,16) K;
      TemporalMap(Sz(R),Sz(R)) R; TemporalMap(Sz(S),Sz(S)) S;
      Cluster(Sz(R), P);
      SpatialMap(1,1) Y; SpatialMap(1,1) R; TemporalMap(Sz(S),Sz(S)) S;
    }
  }
}
